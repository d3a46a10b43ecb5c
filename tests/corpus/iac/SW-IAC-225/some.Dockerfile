FROM python:3.12-slim
# shieldwall: expect-not-next SW-IAC-225
HEALTHCHECK CMD true
USER 10001
