package store

import "context"

// OpenUpTo opens the database dsn names with its migrations applied up to
// version only, for tests of a later migration on a database made before it.
func OpenUpTo(ctx context.Context, dsn string, version int) (*Store, error) {
	return OpenWith(ctx, dsn, Options{migrateUpTo: version})
}
