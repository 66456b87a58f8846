package ring0.cli.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of a benchmark program's output, {@code TEST COUNT NS}: what was
 * timed, how much of it (iterations, or bytes moved) and the elapsed
 * nanoseconds between the program's two {@code clock} readings.
 *
 * @param test  the test's name, as the program printed it
 * @param count iterations (lat_syscall) or bytes (iozone), at least 1
 * @param nanos elapsed nanoseconds, at least 0
 */
record Measurement(String test, long count, long nanos) {
    Measurement {
        if (test.isEmpty() || count < 1 || nanos < 0) throw new IllegalArgumentException(test + " " + count + " " + nanos);
    }

    /** Nanoseconds per iteration. */
    double nanosPerCount() { return (double) nanos / count; }

    /** Throughput in MB/s, MB being 10^6 bytes (count is bytes). */
    double megabytesPerSecond() { return nanos == 0 ? Double.POSITIVE_INFINITY : count * 1e3 / nanos; }

    /**
     * Parses a program's whole standard output: one {@code TEST COUNT NS}
     * line per measurement, nothing else.
     *
     * @param program the program's name, for messages
     * @throws BenchException if a line does not have that form
     */
    static List<Measurement> parseAll(String program, String output) throws BenchException {
        List<Measurement> r = new ArrayList<>();
        int lineNo = 0;
        for (String line : output.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty()) continue;
            r.add(parse(program, lineNo, line));
        }
        return r;
    }

    private static Measurement parse(String program, int lineNo, String line) throws BenchException {
        String[] f = line.split(" ", -1);
        String where = program + " printed an unexpected line " + lineNo + " '" + line + "'";
        if (f.length != 3 || f[0].isEmpty() || !f[0].chars().allMatch(c -> c >= 'a' && c <= 'z')) {
            throw new BenchException(where + " (expected TEST COUNT NS)");
        }
        long count = number(f[1], where), nanos = number(f[2], where);
        if (count < 1) throw new BenchException(where + " (the count must be at least 1)");
        return new Measurement(f[0], count, nanos);
    }

    private static long number(String s, String where) throws BenchException {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new BenchException(where + " ('" + s + "' is not a number)");
        }
        return Long.parseLong(s);
    }
}
