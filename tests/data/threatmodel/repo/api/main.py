import pickle
import subprocess

import httpx
import psycopg
from fastapi import FastAPI, UploadFile

app = FastAPI()


@app.get("/orders/{order_id}")
def order(order_id: int):
    return {"id": order_id}


@app.post("/admin/import")
def import_orders(file: UploadFile):
    return {"ok": True}
