"""A 2016 Tornado chat's shape, shared by the tests of what its tornado-redis driver needs: a Redis, and
tornado below 6.0."""

CHAT = '''\
import tornado.ioloop
import tornado.web
import tornadoredis

redis = tornadoredis.Client(host="127.0.0.1", port=6379)


class Main(tornado.web.RequestHandler):
    def get(self):
        self.write("chat")


application = tornado.web.Application([(r"/", Main)])

if __name__ == "__main__":
    application.listen(8888)
    tornado.ioloop.IOLoop.instance().start()
'''
