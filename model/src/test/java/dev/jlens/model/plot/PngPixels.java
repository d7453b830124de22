// Reading back a written PNG: its size, its distinct colours, where its red and blue pixels are.
package dev.jlens.model.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Pixel statistics of a PNG file, for tests that check what a plot shows without knowing its layout. */
public record PngPixels(BufferedImage image) {
    public static PngPixels read(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IOException("not a PNG ImageIO can read: " + file);
        }
        return new PngPixels(img);
    }

    public int width() {
        return image.getWidth();
    }

    public int height() {
        return image.getHeight();
    }

    public int distinctColours() {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < width(); x++) {
                seen.add(image.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }

    public int count(int rgb) {
        int n = 0;
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < width(); x++) {
                n += (image.getRGB(x, y) & 0xffffff) == rgb ? 1 : 0;
            }
        }
        return n;
    }

    /** Strongly red: the positive end of RdBu (r well above g and b). */
    public static boolean reddish(int rgb) {
        int r = rgb >> 16 & 0xff;
        int g = rgb >> 8 & 0xff;
        int b = rgb & 0xff;
        return r >= 100 && r - b >= 60 && r - g >= 60; // includes RdBu's darkest red, #67001f
    }

    /** Strongly blue: the negative end of RdBu. */
    public static boolean bluish(int rgb) {
        int r = rgb >> 16 & 0xff;
        int b = rgb & 0xff;
        return b > 90 && b - r > 80;
    }

    /** {x, y, count} of the pixels that pass {@code test}. */
    public double[] centroid(java.util.function.IntPredicate test) {
        double sx = 0;
        double sy = 0;
        int n = 0;
        for (int y = 0; y < height(); y++) {
            for (int x = 0; x < width(); x++) {
                if (test.test(image.getRGB(x, y) & 0xffffff)) {
                    sx += x;
                    sy += y;
                    n++;
                }
            }
        }
        return new double[] {sx / n, sy / n, n};
    }
}
