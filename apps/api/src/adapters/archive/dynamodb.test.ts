import { afterAll, beforeAll, describe } from 'vitest';
import { dynamoTestArchive, startDynalite } from '../../../test/support/archive';
import { archiveContract } from './archive.contract';

describe('DynamoDbBookingArchive (dynalite)', () => {
  let server: Awaited<ReturnType<typeof startDynalite>>;
  beforeAll(async () => {
    server = await startDynalite();
  });
  afterAll(() => server.stop());

  archiveContract('dynamodb', async () => {
    const archive = await dynamoTestArchive(server.endpoint);
    return { archive, dispose: () => archive.close() };
  });
});
