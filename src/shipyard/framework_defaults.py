"""The framework's own defaults for settings an app reads from the environment with no default of its own.

Course projects move their settings into a .env the repository leaves out: `SQLALCHEMY_TRACK_MODIFICATIONS =
bool(os.environ["SQLALCHEMY_TRACK_MODIFICATIONS"])`, Django's `EMAIL_PORT = config("EMAIL_PORT")`, Flask-Mail's
`MAIL_SERVER = os.environ["MAIL_SERVER"]`. The import stops without them, though the framework has a value for
each that the app would run with had it not written the line: that value, said as such. Mail settings matter only
when the app sends mail (to the framework's default server, localhost:25, as an app that never set them does);
nothing here is a credential only its author has, or a choice the app's behaviour depends on. A sender address that
an extension requires and has no default for (flask-mailing validates MAIL_FROM as an address when the app
starts) gets a placeholder of the reserved example.com, said as a placeholder. The official RabbitMQ image's
variables, which a compose stack's .env gives both the broker and the app (that builds its amqp:// URL from
them), get RabbitMQ's own default account, guest:guest on vhost /: what a broker started without them has.
"""

from __future__ import annotations

# name -> (the value, whose default it is); booleans spelled as the frameworks' docs and .env files write them
DEFAULTS: dict[str, tuple[str, str]] = {
    "SQLALCHEMY_TRACK_MODIFICATIONS": ("False", "Flask-SQLAlchemy's"),
    "SQLALCHEMY_ECHO": ("False", "Flask-SQLAlchemy's"),
    "SQLALCHEMY_RECORD_QUERIES": ("False", "Flask-SQLAlchemy's"),
    "EMAIL_HOST": ("localhost", "Django's"),
    "EMAIL_PORT": ("25", "Django's"),
    "EMAIL_HOST_USER": ("", "Django's"),
    "EMAIL_HOST_PASSWORD": ("", "Django's"),
    "EMAIL_USE_TLS": ("False", "Django's"),
    "EMAIL_USE_SSL": ("False", "Django's"),
    "MAIL_SERVER": ("localhost", "Flask-Mail's"),
    "MAIL_PORT": ("25", "Flask-Mail's"),
    "MAIL_USERNAME": ("", "Flask-Mail's"),
    "MAIL_PASSWORD": ("", "Flask-Mail's"),
    "MAIL_USE_TLS": ("False", "Flask-Mail's"),
    "MAIL_USE_SSL": ("False", "Flask-Mail's"),
    "DEFAULT_FROM_EMAIL": ("webmaster@localhost", "Django's"),
    "MAIL_FROM": ("webmaster@example.com", "a placeholder sender: flask-mailing requires one"),
    "MAIL_DEFAULT_SENDER": ("webmaster@example.com", "a placeholder sender: Flask-Mail has none"),
    # read as seconds (int(os.environ.get(...)) into the config key): the extension's timedelta defaults
    "JWT_ACCESS_TOKEN_EXPIRES": ("900", "Flask-JWT-Extended's, 15 minutes in seconds"),
    "JWT_REFRESH_TOKEN_EXPIRES": ("2592000", "Flask-JWT-Extended's, 30 days in seconds"),
    "RABBITMQ_DEFAULT_USER": ("guest", "RabbitMQ's"),
    "RABBITMQ_DEFAULT_PASS": ("guest", "RabbitMQ's"),
    "RABBITMQ_DEFAULT_VHOST": ("/", "RabbitMQ's"),
}
