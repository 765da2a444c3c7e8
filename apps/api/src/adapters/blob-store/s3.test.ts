import { describeBlobStoreContract } from './blob-store.contract';
import { s3Harness } from './blob-store.testing';

describeBlobStoreContract(s3Harness());
