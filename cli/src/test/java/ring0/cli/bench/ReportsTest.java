package ring0.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reports built from given measurements: JSON shape, ratios, gains, the table, the figure. */
class ReportsTest {
    @TempDir
    Path tmp;

    /** getpid: int80 1000, syscall 100, ring0 10 (ratio 0.1: goal met); read: 400 vs 100 (0.25, met); write 200 vs 100 (missed). */
    static LatencyReport latency() {
        Map<Gate, Map<String, LatencyBench.Cell>> cells = new LinkedHashMap<>();
        double[][] perGate = {{1000, 2000, 1500, 3000}, {100, 400, 100, 300}, {10, 100, 200, 50}};
        Gate[] gates = {Gate.INT80, Gate.SYSCALL, Gate.RING0};
        for (int g = 0; g < 3; g++) {
            Map<String, LatencyBench.Cell> byTest = new LinkedHashMap<>();
            String[] tests = {"getpid", "read", "write", "fstat"};
            for (int t = 0; t < tests.length; t++) {
                double v = perGate[g][t];
                byTest.put(tests[t], new LatencyBench.Cell(1000, List.of(v * 3, v, v * 0.9, v * 1.1, v * 0.5)));
            }
            cells.put(gates[g], byTest);
        }
        return new LatencyReport(cells, 5, 1.5, 2.5);
    }

    @Test
    @SuppressWarnings("unchecked")
    void latencyJsonHasEveryGateAndTheMedians() {
        var json = (Map<String, Object>) MiniJson.parse(latency().json());
        assertThat(json.get("unit")).isEqualTo("ns");
        var gates = (Map<String, Map<String, Double>>) json.get("gates");
        assertThat(gates.keySet()).containsExactly("int80", "syscall", "ring0");
        for (var g : gates.values()) assertThat(g.keySet()).containsExactly("getpid", "read", "write", "fstat");
        assertThat(gates.get("int80").get("getpid")).isEqualTo(1000.0);
        assertThat(gates.get("ring0").get("fstat")).isEqualTo(50.0);
        var ratios = (Map<String, Map<String, Double>>) json.get("ratio_to_syscall");
        assertThat(ratios.get("ring0").get("getpid")).isCloseTo(0.1, within(1e-9));
        assertThat(ratios.get("int80").get("read")).isCloseTo(5.0, within(1e-9));
        var best = (Map<String, Map<String, Double>>) json.get("best");
        assertThat(best.get("syscall").get("getpid")).isEqualTo(50.0);
        assertThat(json.get("batches")).isEqualTo(5.0);
        assertThat((List<Double>) json.get("load_average")).containsExactly(1.5, 2.5);
    }

    @Test
    void latencyTableShowsRatiosAndGoals() {
        String t = latency().table();
        assertThat(t).contains("int80/syscall").contains("ring0/syscall");
        assertThat(line(t, "getpid")).contains("1,000").contains("10.00").contains("0.100").contains("met");
        assertThat(line(t, "write")).contains("2.000").contains("missed");
        assertThat(line(t, "read")).contains("0.250").contains("<= 0.33 met");
    }

    @Test
    void spawnsRowSaysWhatOneCallIs() {
        Map<Gate, Map<String, LatencyBench.Cell>> cells = new LinkedHashMap<>();
        cells.put(Gate.SYSCALL, Map.of(LatencyBench.SPAWN, new LatencyBench.Cell(16, List.of(150_000.0, 160_000.0, 170_000.0))));
        cells.put(Gate.RING0, Map.of(LatencyBench.SPAWN, new LatencyBench.Cell(2, List.of(900_000.0, 1_000_000.0, 1_100_000.0))));
        String t = new LatencyReport(cells, 3, 1, 1).table();
        assertThat(line(t, "spawn + wait")).contains("160,000").contains("1,000,000").contains("6.250");
        assertThat(t).contains("syscall (spawn 16); ring0 (spawn 2)");
    }

    static String line(String table, String first) {
        return table.lines().filter(l -> l.startsWith(first + " ")).findFirst().orElseThrow();
    }

    /** Two sizes; linux 100/200/300/400 MB/s per test at 64k, ring0 10% more; at 1m ring0 half. */
    static IoReport io() {
        List<IoBench.Point> points = List.of(point(64 << 10, 64, 1.1), point(1 << 20, 4, 0.5));
        return new IoReport(points, 16384, false, false, 3, 0.5, 0.7);
    }

    static IoBench.Point point(long size, int files, double ring0Factor) {
        Map<Gate, Map<String, List<Double>>> m = new LinkedHashMap<>();
        for (Gate g : List.of(Gate.SYSCALL, Gate.RING0)) {
            Map<String, List<Double>> byTest = new LinkedHashMap<>();
            for (int i = 0; i < IoBench.TESTS.size(); i++) {
                double v = 100 * (i + 1) * (g == Gate.RING0 ? ring0Factor : 1);
                byTest.put(IoBench.TESTS.get(i), List.of(v * 0.5, v, v * 2));
            }
            m.put(g, byTest);
        }
        return new IoBench.Point(size, files, m);
    }

    @Test
    @SuppressWarnings("unchecked")
    void ioJsonHasTheRequiredShape() {
        var json = (Map<String, Object>) MiniJson.parse(io().json());
        assertThat(json.keySet()).startsWith("unit", "record_kb", "fsync", "sizes_kb", "linux", "ring0");
        assertThat(json.get("unit")).isEqualTo("MB/s");
        assertThat(json.get("record_kb")).isEqualTo(16.0);
        assertThat(json.get("fsync")).isEqualTo(false);
        assertThat((List<Double>) json.get("sizes_kb")).containsExactly(64.0, 1024.0);
        for (String side : List.of("linux", "ring0")) {
            var byTest = (Map<String, List<Double>>) json.get(side);
            assertThat(byTest.keySet()).containsExactly("write", "rewrite", "read", "reread");
            assertThat(byTest.values()).allSatisfy(l -> assertThat(l).hasSize(2));
        }
        assertThat(((Map<String, List<Double>>) json.get("linux")).get("read")).containsExactly(300.0, 300.0);
        assertThat(((Map<String, List<Double>>) json.get("ring0")).get("read").get(0)).isCloseTo(330.0, within(1e-9));
        var gain = (Map<String, List<Double>>) json.get("gain_percent");
        assertThat(gain.get("write").get(0)).isCloseTo(10.0, within(1e-9));
        assertThat(gain.get("reread").get(1)).isCloseTo(-50.0, within(1e-9));
    }

    @Test
    void ioTableHasOneBlockPerTest() {
        String t = io().table();
        assertThat(t).contains("Write\n").contains("Re-write\n").contains("Read\n").contains("Re-read\n");
        assertThat(t).contains("64 KB").contains("1 MB").contains("+10.0%").contains("-50.0%");
    }

    @Test
    void thePlotIsAPngWithFourPanels() throws Exception {
        Path png = tmp.resolve("io.png");
        IoPlot.write(io(), png);
        byte[] b = Files.readAllBytes(png);
        assertThat(b).startsWith(0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n');
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(2 * IoPlot.PANEL_WIDTH);
        assertThat(img.getHeight()).isEqualTo(2 * IoPlot.PANEL_HEIGHT + IoPlot.TITLE_HEIGHT);
        // Both series' colours are drawn in every panel.
        for (int panel = 0; panel < 4; panel++) {
            int x0 = (panel % 2) * IoPlot.PANEL_WIDTH, y0 = IoPlot.TITLE_HEIGHT + (panel / 2) * IoPlot.PANEL_HEIGHT;
            assertThat(count(img, x0, y0, 0x1f77b4)).as("panel " + panel + " linux").isGreaterThan(50);
            assertThat(count(img, x0, y0, 0xd62728)).as("panel " + panel + " ring0").isGreaterThan(50);
        }
    }

    private static int count(BufferedImage img, int x0, int y0, int rgb) {
        int n = 0;
        for (int y = y0; y < y0 + IoPlot.PANEL_HEIGHT; y++) {
            for (int x = x0; x < x0 + IoPlot.PANEL_WIDTH; x++) if ((img.getRGB(x, y) & 0xffffff) == rgb) n++;
        }
        return n;
    }
}
