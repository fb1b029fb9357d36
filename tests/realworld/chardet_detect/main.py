"""chardet: encoding detection over many probers and language models."""

import chardet
from chardet.universaldetector import UniversalDetector

SAMPLES = {
    "utf-8": "Grüße, naïve café — 日本語のテキスト",
    "cp1251": "Привет, мир! Это проверка кодировки текста на русском языке.",
    "shift_jis": "これは日本語の文章です。文字コードを判定します。",
    "iso-8859-7": "Καλημέρα κόσμε, αυτό είναι ένα ελληνικό κείμενο.",
    "gb2312": "这是一个中文文本，用来测试字符编码的检测。",
    "ascii": "plain old ascii text",
}
for encoding, text in SAMPLES.items():
    result = chardet.detect(text.encode(encoding) * 3)
    print(encoding, "->", result["encoding"], round(result["confidence"], 2), result["language"])
detector = UniversalDetector()
for line in ["Ça va très bien, merci beaucoup.\n".encode("latin-1")] * 20:
    detector.feed(line)
detector.close()
print(detector.result["encoding"])
print(chardet.detect_all("Ελληνικά".encode())[0]["encoding"], chardet.__version__)
