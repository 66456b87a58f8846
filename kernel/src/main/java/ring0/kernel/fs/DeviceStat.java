package ring0.kernel.fs;

import java.time.Instant;

/** Synthetic {@code struct stat}s for the kernel's devices and its virtual {@code /dev}. */
final class DeviceStat {
    private DeviceStat() {}

    /** When the kernel's devices came to be: the time this class was loaded. */
    private static final Instant BORN = Instant.now();

    /** The stat of {@code d}: a character device ({@code /dev/null} and {@code /dev/zero} with Linux's numbers). */
    static Stat device(Device d) { return DEVICES[d.ordinal()]; }

    /** The stat of the virtual {@code /dev}. */
    static Stat devDirectory() { return DEV_DIRECTORY; }

    private static final Stat[] DEVICES = new Stat[Device.values().length];
    private static final Stat DEV_DIRECTORY = of(Stat.S_IFDIR | 0755, 2, 1, 0, PageCache.PAGE_SIZE);

    static {
        for (Device d : Device.values()) DEVICES[d.ordinal()] = compute(d);
    }

    private static Stat compute(Device d) {
        long ino = d.ordinal() + 2;
        return switch (d) {
            case NULL -> of(Stat.S_IFCHR | 0666, 1, ino, Stat.makedev(1, 3), 0);
            case ZERO -> of(Stat.S_IFCHR | 0666, 1, ino, Stat.makedev(1, 5), 0);
            case STDIN, STDOUT, STDERR -> of(Stat.S_IFCHR | 0620, 1, ino, 0, 0);
        };
    }


    private static Stat of(int mode, long nlink, long ino, long rdev, long size) {
        long s = BORN.getEpochSecond(), ns = BORN.getNano();
        return new Stat(0, ino, nlink, mode, 0, 0, rdev, size, PageCache.PAGE_SIZE, 0, s, ns, s, ns, s, ns);
    }
}
