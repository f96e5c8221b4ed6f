from my_app import app


if __name__ == "__main__":
    app.run()
