package ring0.kernel.fs;

/**
 * Identity of a host file: device and inode number (so hard links share one
 * {@link CachedFile}).
 */
record FileKey(long dev, long ino) {
    /** The identity of the file whose attributes are {@code st}. */
    static FileKey of(Stat st) { return new FileKey(st.dev(), st.ino()); }
}
