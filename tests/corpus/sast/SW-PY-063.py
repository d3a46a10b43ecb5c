from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from flask import Flask
from flask_cors import CORS

flask_app = Flask(__name__)
CORS(flask_app, supports_credentials=True)  # shieldwall: expect SW-PY-063
CORS(flask_app, origins=["https://shop.example.com"], supports_credentials=True)  # shieldwall: expect-not SW-PY-063
api = FastAPI()
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)  # shieldwall: expect SW-PY-063
api.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False)  # shieldwall: expect-not SW-PY-063
