import { describeBlobStoreContract } from './blob-store.contract';
import { localFsHarness } from './blob-store.testing';

describeBlobStoreContract(localFsHarness());
