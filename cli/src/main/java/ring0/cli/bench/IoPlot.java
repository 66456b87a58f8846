package ring0.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The throughput figure: four panels (Write, Re-write, Read, Re-read), file
 * size on a logarithmic x axis, MB/s on the y axis, one line for Linux and
 * one for ring0. Drawn with JFreeChart without a display.
 */
final class IoPlot {
    private IoPlot() {}

    static final int PANEL_WIDTH = 640, PANEL_HEIGHT = 420, TITLE_HEIGHT = 40;

    /** Writes the figure for {@code report} as a PNG file. */
    static void write(IoReport report, Path png) throws BenchException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(2 * PANEL_WIDTH, 2 * PANEL_HEIGHT + TITLE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            String title = String.format("File throughput, %d KB records, %s (median of %d runs)",
                    report.record() / 1024, report.timing(), report.runs());
            g.drawString(title, 16, 27);
            List<String> tests = IoBench.TESTS;
            for (int i = 0; i < tests.size(); i++) {
                JFreeChart chart = panel(report, tests.get(i));
                int x = (i % 2) * PANEL_WIDTH, y = TITLE_HEIGHT + (i / 2) * PANEL_HEIGHT;
                chart.draw(g, new Rectangle2D.Double(x, y, PANEL_WIDTH, PANEL_HEIGHT));
            }
        } finally {
            g.dispose();
        }
        try {
            if (!ImageIO.write(img, "png", png.toFile())) throw new BenchException("no PNG writer in this JVM");
        } catch (IOException e) {
            throw new BenchException("cannot write " + png + ": " + e.getMessage());
        }
    }

    private static JFreeChart panel(IoReport report, String test) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Gate gate : List.of(Gate.SYSCALL, Gate.RING0)) {
            XYSeries s = new XYSeries(gate == Gate.SYSCALL ? "Linux (syscall gate)" : "ring0 (kernel mode)");
            List<Double> m = report.medians(gate, test);
            for (int i = 0; i < m.size(); i++) s.add(report.points().get(i).size() / 1024.0, m.get(i));
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(null, "file size (KB)", "MB/s", data,
                PlotOrientation.VERTICAL, true, false, false);
        chart.setTitle(new TextTitle(IoReport.TITLES.get(test), new Font(Font.SANS_SERIF, Font.BOLD, 16)));
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        LogAxis x = new LogAxis("file size (KB)");
        x.setBase(2);
        x.setTickUnit(new NumberTickUnit(2)); // a tick every factor of 4
        x.setNumberFormatOverride(new java.text.DecimalFormat("#,##0"));
        plot.setDomainAxis(x);
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, new Color(0x1f, 0x77, 0xb4));
        r.setSeriesPaint(1, new Color(0xd6, 0x27, 0x28));
        r.setSeriesStroke(0, new BasicStroke(2f));
        r.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(r);
        return chart;
    }
}
