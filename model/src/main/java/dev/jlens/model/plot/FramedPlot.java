// A plot inside a Frame (title, axis titles, margins): the Plot size and title come from the frame.
package dev.jlens.model.plot;

/** Base of the charts drawn in a {@link Frame}: line, scatter and bar charts. */
abstract class FramedPlot implements Plot {
    /** The frame the chart was laid out in. */
    abstract Frame frame();

    @Override
    public String title() {
        return frame().title();
    }

    @Override
    public int width() {
        return frame().width();
    }

    @Override
    public int height() {
        return frame().height();
    }
}
