import { EmbeddedSearchIndex } from './embedded';
import { searchIndexContract } from './search-index.contract';

searchIndexContract('embedded', async () => new EmbeddedSearchIndex());
