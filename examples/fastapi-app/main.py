"""An ASGI app: served by gunicorn with uvicorn workers."""

import asyncio

from fastapi import FastAPI

app = FastAPI(title="Shipyard FastAPI example")


@app.get("/")
async def root():
    return {"message": "Hello from FastAPI"}


@app.get("/slow")
async def slow(seconds: float = 2.0):
    await asyncio.sleep(min(seconds, 10.0))
    return {"slept": seconds}
