from graph.migrate import MIGRATIONS_DIR, discover, split_statements


def test_split_statements_drops_comments_and_blanks():
    text = (
        "// a comment\nCREATE INDEX a IF NOT EXISTS\nFOR (n:A) ON (n.x);\n\n"
        "// b\nCREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.y);\n"
    )
    assert split_statements(text) == (
        "CREATE INDEX a IF NOT EXISTS\nFOR (n:A) ON (n.x)",
        "CREATE INDEX b IF NOT EXISTS FOR (n:B) ON (n.y)",
    )


def test_last_statement_may_omit_its_semicolon():
    assert split_statements("CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)") == (
        "CREATE INDEX a IF NOT EXISTS FOR (n:A) ON (n.x)",
    )


def test_shipped_migrations_are_idempotent_schema_statements():
    migrations = discover(MIGRATIONS_DIR)
    assert [m.version for m in migrations] == sorted(m.version for m in migrations)
    for migration in migrations:
        for statement in migration.statements:
            assert "IF NOT EXISTS" in statement or "IF EXISTS" in statement, statement
