import numpy as np

objects = np.load("data.npy", allow_pickle=True)  # shieldwall: expect SW-PY-061
arrays = np.load("data.npy")  # shieldwall: expect-not SW-PY-061
