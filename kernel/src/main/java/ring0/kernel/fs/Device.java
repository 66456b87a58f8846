package ring0.kernel.fs;

/**
 * The devices that exist under {@code /dev} whatever the root directory
 * holds: the kernel intercepts these five names before looking at the host.
 */
public enum Device {
    /** {@code /dev/null}: reads return end of file, writes are discarded. */
    NULL("null"),
    /** {@code /dev/zero}: reads return zero bytes, writes are discarded. */
    ZERO("zero"),
    /** {@code /dev/stdin}: the process's standard input stream. */
    STDIN("stdin"),
    /** {@code /dev/stdout}: the process's standard output stream. */
    STDOUT("stdout"),
    /** {@code /dev/stderr}: the process's standard error stream. */
    STDERR("stderr");

    /** The name under {@code /dev}. */
    public final String fileName;

    Device(String fileName) { this.fileName = fileName; }

    /** The device called {@code name} under {@code /dev}, or {@code null}. */
    public static Device byFileName(String name) {
        for (Device d : values()) if (d.fileName.equals(name)) return d;
        return null;
    }
}
