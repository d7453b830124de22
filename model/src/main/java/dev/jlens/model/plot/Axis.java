// A linear axis: data values to pixels, with "nice" tick values (1, 2, 2.5 or 5 times a power of ten).
package dev.jlens.model.plot;

import java.util.ArrayList;
import java.util.List;

/** Maps data [lo, hi] linearly onto pixels [from, to] (to may be less than from, for y axes). */
record Axis(double lo, double hi, double from, double to) {
    /** An axis over the data range [min, max], padded by 5% each side (a unit either side when min == max). */
    static Axis padded(double min, double max, double from, double to) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            return new Axis(-1, 1, from, to);
        }
        if (min == max) {
            return new Axis(min - 1, max + 1, from, to);
        }
        double pad = (max - min) * 0.05;
        return new Axis(min - pad, max + pad, from, to);
    }

    /** The pixel of value {@code v}. */
    double px(double v) {
        return from + (v - lo) / (hi - lo) * (to - from);
    }

    /** About five tick values inside [lo, hi], at a step of 1, 2, 2.5 or 5 times a power of ten. */
    List<Double> ticks() {
        double raw = (hi - lo) / 5;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = power;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            step = m * power;
            if (step >= raw) {
                break;
            }
        }
        List<Double> out = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
            out.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return out;
    }
}
