# SPDX-License-Identifier: GPL-3.0-or-later
"""Write COUNT benchmark images into FOLDER from the demo photos.

Each image is a demo photo with a seeded random crop (70-100% of each side),
a horizontal flip half of the time, a small rotation and a brightness
change. Images alternate between JPEG (quality 90) and PNG, so decoding and
preprocessing do real work on distinct files.

Usage: python bench/make_images.py FOLDER COUNT
"""
import pathlib
import random
import sys

from PIL import Image, ImageEnhance


def main() -> None:
    folder = pathlib.Path(sys.argv[1])
    count = int(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    demo = pathlib.Path(__file__).resolve().parent.parent / "resources/demo/images"
    photos = [Image.open(p).convert("RGB") for p in sorted(demo.iterdir())]
    generator = random.Random(200)
    for index in range(count):
        photo = photos[index % len(photos)]
        width = int(photo.width * generator.uniform(0.7, 1.0))
        height = int(photo.height * generator.uniform(0.7, 1.0))
        left = generator.randint(0, photo.width - width)
        top = generator.randint(0, photo.height - height)
        image = photo.crop((left, top, left + width, top + height))
        if generator.random() < 0.5:
            image = image.transpose(Image.FLIP_LEFT_RIGHT)
        image = image.rotate(generator.uniform(-10, 10), resample=Image.BILINEAR)
        image = ImageEnhance.Brightness(image).enhance(generator.uniform(0.8, 1.2))
        suffix = "jpg" if index % 2 == 0 else "png"
        image.save(folder / f"image_{index:04d}.{suffix}", quality=90)


if __name__ == "__main__":
    main()
