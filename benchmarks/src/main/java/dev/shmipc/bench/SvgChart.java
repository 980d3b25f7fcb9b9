package dev.shmipc.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Draws the results as an SVG bar chart, by hand, with no library: one panel per workload, one
 * horizontal bar per row, each labelled with its median and its ratio to the panel's reference
 * (the median of the ratios taken inside each trial).
 * A panel whose largest and smallest figures are more than {@value #LOG_SPREAD} times apart uses a
 * logarithmic axis with a grid line per power of ten, so that a 0.3 us bar and a 60 us bar are
 * both visible; other panels use a linear axis from zero.
 */
final class SvgChart {
    static final double LOG_SPREAD = 20;

    private static final int WIDTH = 960;
    private static final int LABEL_WIDTH = 190;
    private static final int PLOT_WIDTH = 500;
    private static final int BAR = 16;
    private static final int GAP = 6;
    private static final int PANEL_HEAD = 44;
    private static final int PANEL_FOOT = 28;

    private SvgChart() {
    }

    /** The whole SVG document. */
    static String draw(Results results, String caption) {
        StringBuilder body = new StringBuilder();
        int y = 40;
        for (Workload workload : results.workloads()) {
            y = panel(body, results, workload, y);
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, y + 10, WIDTH, y + 10));
        svg.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, y + 10));
        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"24\" font-size=\"15\" font-weight=\"bold\">%s</text>%n",
                escape(caption)));
        svg.append(body);
        svg.append("</svg>\n");
        return svg.toString();
    }

    private static int panel(StringBuilder svg, Results results, Workload workload, int top) {
        List<Results.Series> rows = results.rows(workload);
        String reference = Results.referenceOf(workload);
        double min = rows.stream().mapToDouble(Results.Series::median).min().orElse(1);
        double max = rows.stream().mapToDouble(Results.Series::median).max().orElse(1);
        boolean log = min > 0 && max / min > LOG_SPREAD;
        Axis axis = log ? Axis.logarithmic(min, max) : Axis.linear(max);

        svg.append(String.format(Locale.ROOT, "<text x=\"10\" y=\"%d\" font-weight=\"bold\">%s</text>%n", top + 16,
                escape(workload.id() + ": " + workload.title() + ", median " + workload.unit() + " ("
                        + (workload.higherIsBetter() ? "longer" : "shorter") + " is better"
                        + (log ? ", log scale" : "") + ")")));
        int plotTop = top + PANEL_HEAD - 14;
        int plotBottom = plotTop + rows.size() * (BAR + GAP);
        for (double tick : axis.ticks()) {
            double x = LABEL_WIDTH + axis.position(tick) * PLOT_WIDTH;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, plotTop, x, plotBottom));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" fill=\"#666\" font-size=\"10\">%s</text>%n",
                    x, plotBottom + 12, escape(tick == 0 ? "0" : Report.number(tick))));
        }
        int y = plotTop;
        for (Results.Series row : rows) {
            double width = Math.max(1, axis.position(row.median()) * PLOT_WIDTH);
            String label = Report.number(row.median()) + " " + workload.unit()
                    + results.speedup(workload, row.subject(), reference)
                            .filter(r -> !row.subject().equals(reference))
                            .map(r -> "  (" + Report.ratio(r) + " vs " + reference + ")").orElse("");
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL_WIDTH - 8, y + BAR - 4,
                    escape(row.subject())));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", LABEL_WIDTH, y, width, BAR,
                    colour(workload, row.subject(), reference)));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%s</text>%n",
                    LABEL_WIDTH + width + 6, y + BAR - 4, escape(label)));
            y += BAR + GAP;
        }
        return plotBottom + PANEL_FOOT;
    }

    /** Grey for the reference, orange for shared memory, blue for the other transports, green in-process, purple C. */
    private static String colour(Workload workload, String subject, String reference) {
        if (subject.equals(reference)) {
            return "#888888";
        } else if (CReference.isC(subject)) {
            return "#7b4fa8";
        } else if (!workload.crossProcess() || subject.equals(InProcess.MEMCPY)) {
            return "#3b8c3b";
        } else if (subject.startsWith("shm")) {
            return "#e07b00";
        }
        return "#3b6ea8";
    }

    /** Where a figure falls along the plot, 0 at the left edge and 1 at the right. */
    private static final class Axis {
        private final boolean log;
        private final double low;
        private final double high;

        private Axis(boolean log, double low, double high) {
            this.log = log;
            this.low = low;
            this.high = high;
        }

        static Axis logarithmic(double min, double max) {
            double low = Math.pow(10, Math.floor(Math.log10(min)));
            double high = Math.pow(10, Math.ceil(Math.log10(max)));
            return new Axis(true, low, high == low ? low * 10 : high);
        }

        static Axis linear(double max) {
            if (!(max > 0)) {
                return new Axis(false, 0, 1);
            }
            double step = niceStep(max / 5);
            return new Axis(false, 0, Math.max(step, Math.ceil(max / step) * step));
        }

        private static double niceStep(double rough) {
            double power = Math.pow(10, Math.floor(Math.log10(rough)));
            double fraction = rough / power;
            return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
        }

        double position(double value) {
            if (log) {
                return (Math.log10(value) - Math.log10(low)) / (Math.log10(high) - Math.log10(low));
            }
            return value / high;
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            if (log) {
                for (double t = low; t <= high * 1.0001; t *= 10) {
                    ticks.add(t);
                }
            } else {
                double step = niceStep(high / 5);
                for (double t = 0; t <= high * 1.0001; t += step) {
                    ticks.add(t);
                }
            }
            return ticks;
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
