# shieldwall: expect-next SW-IAC-220
FROM python:3.12-slim
RUN pip install flask
HEALTHCHECK CMD true
