FROM python:3.12-slim
HEALTHCHECK CMD true
USER app
# shieldwall: expect-next SW-IAC-220
USER root
