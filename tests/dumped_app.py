"""A course app in Udacity's shape: the README loads a plain pg_dump with `psql shelf < books.psql`, the page reads
its rows. serve loads it into its own PostgreSQL; compose's PostgreSQL when its volume is new."""

DUMPED_APP = '''
import os
import psycopg2
from flask import Flask

app = Flask(__name__)
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://localhost:5432/shelf")


@app.get("/")
def books():
    with psycopg2.connect(DATABASE_URL) as conn, conn.cursor() as cur:
        cur.execute("SELECT title FROM books ORDER BY id")
        return ",".join(t for (t,) in cur.fetchall()) + "\\n"
'''
# what pg_dump writes (plain format): owned by its author's role, rows as COPY data
BOOKS_DUMP = (
    "SET statement_timeout = 0;\nSET client_encoding = 'UTF8';\n"
    "SELECT pg_catalog.set_config('search_path', '', false);\n\n"
    "CREATE TABLE public.books (\n    id integer NOT NULL,\n    title text\n);\n\n"
    "ALTER TABLE public.books OWNER TO caryn;\n\n"
    "COPY public.books (id, title) FROM stdin;\n1\tDune\n2\tEmma\n\\.\n\n"
    "ALTER TABLE ONLY public.books\n    ADD CONSTRAINT books_pkey PRIMARY KEY (id);\n")

DUMPED_APP_FILES = {
    "app.py": DUMPED_APP, "requirements.txt": "Flask>=3.0\npsycopg2-binary>=2.9,<3\n",
    "books.psql": BOOKS_DUMP,
    "README.md": "# Shelf\n\n```\ncreatedb shelf\npsql shelf_test < books.psql\npsql shelf < books.psql\n"
                 "flask run\n```\n"}
