"""Seed 001: a Flask-RESTful API; the resources are registered here, manager.py imports the app."""

from flask import Flask
from flask_restful import Api

from app.resources.tree import Leaves

app = Flask(__name__)
api = Api(app)
api.add_resource(Leaves, "/api/leaves")
