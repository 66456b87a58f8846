package ring0.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing of the comma-separated option values. */
final class Lists {
    private Lists() {}

    /** {@code int80,syscall,ring0}: gates (also ring0-upcall), no repeats. */
    static final class GateList implements ITypeConverter<List<Gate>> {
        @Override
        public List<Gate> convert(String value) {
            LinkedHashSet<Gate> r = new LinkedHashSet<>();
            for (String s : items(value)) {
                Gate g = null;
                for (Gate x : Gate.values()) if (x.label.equals(s)) g = x;
                if (g == null) throw new TypeConversionException("unknown gate '" + s + "' (gates: int80, syscall, ring0, ring0-upcall)");
                if (!r.add(g)) throw new TypeConversionException("gate '" + s + "' given twice");
            }
            return List.copyOf(r);
        }
    }

    /** {@code getpid,read}: lat_syscall tests (any of {@link LatencyBench#TESTS}), no repeats. */
    static final class TestList implements ITypeConverter<List<String>> {
        @Override
        public List<String> convert(String value) {
            LinkedHashSet<String> r = new LinkedHashSet<>();
            for (String s : items(value)) {
                if (!LatencyBench.TESTS.contains(s)) {
                    throw new TypeConversionException("unknown test '" + s + "' (tests: " + String.join(", ", LatencyBench.TESTS) + ")");
                }
                if (!r.add(s)) throw new TypeConversionException("test '" + s + "' given twice");
            }
            return List.copyOf(r);
        }
    }

    /** {@code 64k,1m,256m}: file sizes in bytes (k, m, g are powers of 1024), increasing. */
    static final class SizeList implements ITypeConverter<List<Long>> {
        @Override
        public List<Long> convert(String value) {
            List<Long> r = new ArrayList<>();
            for (String s : items(value)) {
                long v = size(s);
                if (!r.isEmpty() && v <= r.getLast()) throw new TypeConversionException("sizes must increase: '" + s + "'");
                r.add(v);
            }
            return List.copyOf(r);
        }
    }

    /** One size: digits and an optional k, m or g (any case). */
    static long size(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        int shift = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new TypeConversionException("'" + s + "' is not a size (digits and an optional k, m or g)");
        }
        long v = Long.parseLong(digits) << shift;
        if (v <= 0) throw new TypeConversionException("size '" + s + "' must be positive");
        return v;
    }

    /** A size as text: 64k, 1m, 1536k, 100 (bytes). */
    static String sizeText(long bytes) {
        if (bytes % (1 << 30) == 0) return bytes / (1 << 30) + "g";
        if (bytes % (1 << 20) == 0) return bytes / (1 << 20) + "m";
        if (bytes % (1 << 10) == 0) return bytes / (1 << 10) + "k";
        return Long.toString(bytes);
    }

    private static List<String> items(String value) {
        List<String> r = new ArrayList<>();
        for (String s : value.split(",", -1)) {
            String t = s.strip();
            if (t.isEmpty()) throw new TypeConversionException("empty item in '" + value + "'");
            r.add(t);
        }
        return r;
    }
}
