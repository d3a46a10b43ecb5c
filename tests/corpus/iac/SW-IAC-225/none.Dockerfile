# shieldwall: expect-next SW-IAC-225
FROM python:3.12-slim
USER 10001
