import torch

model = torch.load("model.pt")  # shieldwall: expect SW-PY-060
weights = torch.load("model.pt", weights_only=True)  # shieldwall: expect-not SW-PY-060
