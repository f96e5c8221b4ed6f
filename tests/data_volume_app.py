"""A small app that writes into a folder relative to where it runs, which its own compose file gives a named volume
(the shape of litestar-books' `FileStore(path=Path("session_data"))`), for the unit and integration tests."""

APP = {
    "app.py": '''
        from pathlib import Path

        from flask import Flask

        app = Flask(__name__)


        @app.get("/")
        def index():
            folder = Path("session_data")
            folder.mkdir(exist_ok=True)
            (folder / "visit").write_text("1")
            return "saved"
        ''',
    "requirements.txt": "Flask==3.0.3\n",
    "Dockerfile": '''
        FROM python:3.11-slim AS builder
        WORKDIR /srv
        COPY requirements.txt .
        RUN pip install -r requirements.txt

        FROM builder AS prod
        COPY . .
        CMD ["flask", "run", "--host", "0.0.0.0"]
        ''',
    "docker-compose.yml": '''
        services:
          web:
            build:
              context: .
              target: prod
            ports: ["5000:5000"]
            volumes:
              - session_data:/srv/session_data
              - ./:/srv/src-mirror
              - cache:/var/cache/app
        volumes:
          session_data:
          cache:
        ''',
}
