import { localFsHarness } from '../../../test/support/blob-store';
import { describeBlobStoreContract } from './blob-store.contract';

describeBlobStoreContract(localFsHarness());
