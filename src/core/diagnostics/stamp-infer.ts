/** Which revision a schema without history matches: moved to the migrations engine, which reports it in its status. */
export { objectsCreatedBy, inferSchemaRevision, type InferredRevision, type SchemaObject } from '../migrations/schema-match.js';
