from flask_restful import Resource


class Leaves(Resource):
    def get(self):
        return "This tree has leaves"
