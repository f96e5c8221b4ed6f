"""An app that reads PORT as its database's port: its connection settings are a dict with an ENGINE key whose
HOST/PORT/USER/PASSWORD/NAME come from bare environment names, as a 2025 Django workout API's DATABASES does
(`"PORT": env("PORT")`). Its page says which database and port it reached."""

DB_PORT_APP = {
    "app.py": '''
        import os

        import psycopg2
        from flask import Flask

        DATABASE = {"ENGINE": "postgresql", "HOST": os.environ.get("HOST", "localhost"),
                    "PORT": os.environ.get("PORT", "5432"), "USER": os.environ.get("USER"),
                    "PASSWORD": os.environ.get("PASSWORD"), "NAME": os.environ.get("NAME")}
        app = Flask(__name__)


        @app.get("/")
        def index():
            with psycopg2.connect(host=DATABASE["HOST"], port=DATABASE["PORT"], user=DATABASE["USER"],
                                  password=DATABASE["PASSWORD"], dbname=DATABASE["NAME"]) as conn:
                with conn.cursor() as cur:
                    cur.execute("SELECT current_database(), inet_server_port()")
                    return "database={} port={}".format(*cur.fetchone())
        ''',
    "requirements.txt": "flask>=3\npsycopg2-binary>=2.9\n",
}
