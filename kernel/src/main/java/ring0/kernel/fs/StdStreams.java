package ring0.kernel.fs;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The streams a process's descriptors 0, 1 and 2 (and {@code /dev/stdin},
 * {@code /dev/stdout}, {@code /dev/stderr}) are bound to.
 *
 * @param in  standard input
 * @param out standard output
 * @param err standard error
 */
public record StdStreams(InputStream in, OutputStream out, OutputStream err) {
    public StdStreams {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
    }

    /** The kernel's own {@code System.in}, {@code System.out} and {@code System.err}. */
    public static StdStreams system() { return new StdStreams(System.in, System.out, System.err); }

    /** A fresh description of {@code d} bound to these streams. */
    OpenFile open(Device d) {
        return switch (d) {
            case STDIN -> new InputStreamFile(d, in);
            case STDOUT -> new OutputStreamFile(d, out);
            case STDERR -> new OutputStreamFile(d, err);
            case NULL, ZERO -> throw new IllegalArgumentException(d + " is not a stream");
        };
    }
}
