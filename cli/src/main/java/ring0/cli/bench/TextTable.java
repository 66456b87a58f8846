package ring0.cli.bench;

import java.util.ArrayList;
import java.util.List;

/** Plain-text tables: the first column left-aligned, the others right-aligned. */
final class TextTable {
    private TextTable() {}

    /** The header, a rule, and the rows, each line ending in a newline. */
    static String render(List<String> header, List<List<String>> rows) {
        int cols = header.size();
        int[] w = new int[cols];
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            if (r.size() != cols) throw new IllegalArgumentException("row " + r + " has " + r.size() + " cells, expected " + cols);
            for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r.get(i).length());
        }
        StringBuilder b = new StringBuilder();
        line(b, header, w);
        int total = 0;
        for (int x : w) total += x;
        b.append("-".repeat(total + 2 * (cols - 1))).append('\n');
        for (List<String> r : rows) line(b, r, w);
        return b.toString();
    }

    private static void line(StringBuilder b, List<String> cells, int[] w) {
        StringBuilder l = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) l.append("  ");
            String c = cells.get(i);
            String pad = " ".repeat(w[i] - c.length());
            l.append(i == 0 ? c + pad : pad + c);
        }
        b.append(l.toString().stripTrailing()).append('\n');
    }
}
