"""PostgreSQL: a geographic index on partners' locations and their categories as one array (issue #21).

What ``partners.ranking`` (the candidate ranking on PostgreSQL) reads:

* ``partner_earth(current_lat, current_lng)``: the location as a point of the ``cube``/``earthdistance``
  contrib's earth (the same point ``ll_to_earth`` gives), GiST-indexed, so that ``earth_box(...) @>`` finds the
  partners near an address through the index. The function spells out its body with the ``cube`` schema's
  name instead of calling ``ll_to_earth``: an index over ``ll_to_earth`` cannot be rebuilt by ``pg_restore``,
  which runs with an empty ``search_path`` in which ``ll_to_earth``'s own body finds no ``cube()`` (the backup
  test restores a dump).
* ``partners_partner.category_ids``: the partner's category ids, sorted, kept by a statement trigger on the
  categories table (every insert, update and delete of ``Partner.categories``, bulk ones too), so that the
  categories are checked on the partner's row instead of one index probe per category and partner. The
  column is not a model field: SQLite (the embedded default) has neither, and the ORM never writes it.

SQLite: nothing (the ORM query of ``partners.matching`` runs there).
"""

from django.db import migrations

# The partners whose categories changed get their array again ({changed}: their ids).
SYNC = """UPDATE partners_partner p
            SET category_ids = coalesce((SELECT array_agg(c.category_id ORDER BY c.category_id)
                                         FROM partners_partner_categories c WHERE c.partner_id = p.id), '{{{{}}}}')
            WHERE p.id IN ({changed})"""

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS cube",
    "CREATE EXTENSION IF NOT EXISTS earthdistance",
    """CREATE FUNCTION partner_earth(lat numeric, lng numeric) RETURNS {cube}.cube
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT {cube}.cube({cube}.cube({cube}.cube(
        6378168 * cos(radians(lat::float8)) * cos(radians(lng::float8))),
        6378168 * cos(radians(lat::float8)) * sin(radians(lng::float8))),
        6378168 * sin(radians(lat::float8))) $$""",
    "CREATE INDEX partner_earth_gist ON partners_partner USING gist (partner_earth(current_lat, current_lng))",
    "ALTER TABLE partners_partner ADD COLUMN category_ids bigint[] NOT NULL DEFAULT '{{}}'",
    """UPDATE partners_partner p SET category_ids = c.ids
    FROM (SELECT partner_id, array_agg(category_id ORDER BY category_id) AS ids
          FROM partners_partner_categories GROUP BY partner_id) c
    WHERE c.partner_id = p.id""",
    f"""CREATE FUNCTION partner_category_ids_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {SYNC.format(changed="SELECT partner_id FROM new_rows")};
        ELSIF TG_OP = 'DELETE' THEN
            {SYNC.format(changed="SELECT partner_id FROM old_rows")};
        ELSE
            {SYNC.format(changed="SELECT partner_id FROM new_rows UNION SELECT partner_id FROM old_rows")};
        END IF;
        RETURN NULL;
    END $$""",  # noqa: S608 - fixed text
    """CREATE TRIGGER partner_category_ids_insert AFTER INSERT ON partners_partner_categories
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION partner_category_ids_sync()""",
    """CREATE TRIGGER partner_category_ids_delete AFTER DELETE ON partners_partner_categories
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION partner_category_ids_sync()""",
    """CREATE TRIGGER partner_category_ids_update AFTER UPDATE ON partners_partner_categories
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION partner_category_ids_sync()""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS cube")
        cursor.execute(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
            " WHERE e.extname = 'cube'"
        )
        cube = f'"{cursor.fetchone()[0]}"'
    for statement in FORWARD:
        schema_editor.execute(statement.format(cube=cube))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in BACKWARD:
        schema_editor.execute(statement)


BACKWARD = [
    "DROP FUNCTION partner_category_ids_sync() CASCADE",
    "ALTER TABLE partners_partner DROP COLUMN category_ids",
    "DROP INDEX partner_earth_gist",
    "DROP FUNCTION partner_earth(numeric, numeric)",
    "DROP EXTENSION IF EXISTS earthdistance",
    "DROP EXTENSION IF EXISTS cube",
]


class Migration(migrations.Migration):
    dependencies = [("partners", "0012_earning_release_date")]

    operations = [migrations.RunPython(forward, backward)]
