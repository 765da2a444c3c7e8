import { s3Harness } from '../../../test/support/blob-store';
import { describeBlobStoreContract } from './blob-store.contract';

describeBlobStoreContract(s3Harness());
