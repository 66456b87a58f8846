package ring0.kernel.fs;

import java.nio.file.Path;

/**
 * The outcome of resolving a path inside the root ({@link Vfs#resolve}).
 * Every host path it names lies inside the root and was reached without the
 * host following any symbolic link.
 */
public sealed interface Resolution {

    /** What kind of host object a {@link Host} names. */
    enum Kind {
        /** A regular file. */
        REGULAR,
        /** A directory. */
        DIRECTORY,
        /** A symbolic link (only when the caller asked not to follow the last component). */
        SYMLINK,
        /** Anything else the host has (fifo, socket, device node): never opened by the kernel. */
        OTHER
    }

    /** An existing host object. */
    record Host(Path path, Kind kind) implements Resolution {}

    /**
     * The last component does not exist but its directory does, so
     * {@code O_CREAT} may create {@code path}. {@code dirOnly} is set when the
     * path ended in a slash (then only a directory could be meant).
     */
    record Absent(Path path, boolean dirOnly) implements Resolution {}

    /** One of the kernel's devices under {@code /dev}. */
    record Dev(Device device) implements Resolution {}

    /** {@code /dev} itself, when the root has no real directory of that name. */
    record DevDir() implements Resolution {}

    /** Resolution failed with a positive Linux error number. */
    record Failed(int errno) implements Resolution {
        @Override public String toString() { return "Failed[" + Errno.name(errno) + "]"; }
    }
}
