// JavaScript / TypeScript
const clientSecret = 'Ty6Wq1Zr8Vk3Xm5Bn2Lp7Hs4';  // shieldwall: expect SW-SEC-001
const config = { apiKey: "Gh5Jk8Lm2Np4Qr7St9Vw1Xy3" };  // shieldwall: expect SW-SEC-001
const apiKey = process.env.API_KEY;  // shieldwall: expect-not SW-SEC-001
const secretKey = `${prefix}-${suffix}`;  // shieldwall: expect-not SW-SEC-001
