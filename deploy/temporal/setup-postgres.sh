#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the version the
# admin-tools image ships with. Safe to run again: create fails softly on an existing database
# and update-schema only applies what is missing.
set -eu

sql() {
  temporal-sql-tool --plugin postgres12 --ep postgresql -p 5432 -u "$POSTGRES_USER" --pw "$POSTGRES_PWD" --db "$@"
}

echo "waiting for PostgreSQL"
until nc -z postgresql 5432; do sleep 1; done

for db in temporal temporal_visibility; do
  case "$db" in
    temporal) schema=temporal ;;
    *) schema=visibility ;;
  esac
  sql "$db" create || echo "database $db exists"
  sql "$db" setup-schema -v 0.0 || echo "schema of $db already set up"
  sql "$db" update-schema -d "/etc/temporal/schema/postgresql/v12/$schema/versioned"
done
echo "PostgreSQL schemas ready"
