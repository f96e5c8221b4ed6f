def message() -> str:
    return "Python Flask in Docker!"
