"""Storage: SQLAlchemy 2.x tables, repositories, the unit of work and Alembic migrations."""
