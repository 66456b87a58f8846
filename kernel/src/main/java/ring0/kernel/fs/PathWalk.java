package ring0.kernel.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One path resolution inside the root, component by component (TRUSTED: this
 * is what keeps programs inside {@code --root}).
 *
 * <p>The walk keeps its own position (the chain of directories below the
 * root) and asks the host about one name at a time, never following links
 * ({@link LinkOption#NOFOLLOW_LINKS}). So the host never interprets a
 * {@code ..} or a symbolic link; both are handled here:
 * <ul>
 *   <li>{@code ..} in the caller's path at the root stays at the root, as in a
 *       chroot ({@code /..} is {@code /});
 *   <li>a symbolic link is expanded here: a relative target continues from the
 *       link's directory, an absolute one from the root; a {@code ..} that came
 *       from a link's target and would climb above the root fails with
 *       {@code EACCES} (the link points outside, so it is not followed, as
 *       Linux refuses links it will not follow under {@code protected_symlinks});
 *   <li>at most {@link #MAX_LINKS} links per resolution, then {@code ELOOP}.
 * </ul>
 *
 * <p>The five names of {@link Device} directly under {@code /dev} are devices
 * whatever the host has there. If the root has no real directory {@code dev}
 * (missing, a file, or a symbolic link, which is then ignored), {@code /dev}
 * is a virtual directory holding only the devices.
 */
final class PathWalk {
    /** Linux's {@code MAXSYMLINKS}. */
    static final int MAX_LINKS = 40;
    /** Longest path in bytes, without the terminating NUL ({@code PATH_MAX - 1}). */
    static final int MAX_PATH = 4095;
    /** Longest name of one component in bytes ({@code NAME_MAX}). */
    static final int MAX_NAME = 255;

    private static final byte SLASH = '/';

    private record Component(byte[] name, boolean fromLink) {
        boolean isDot() { return name.length == 1 && name[0] == '.'; }
        boolean isDotDot() { return name.length == 2 && name[0] == '.' && name[1] == '.'; }
    }

    private final Path root;
    private final HostNames names;
    /** Names of the directories from the root down to the current one. */
    private final List<String> position = new ArrayList<>();
    /** Host path of each directory in {@link #position}; {@code null} for the virtual {@code /dev}. */
    private final List<Path> hostDirs = new ArrayList<>();
    private final ArrayDeque<Component> work = new ArrayDeque<>();

    private PathWalk(Path root, HostNames names) {
        this.root = root;
        this.names = names;
    }

    /**
     * Resolves {@code path} (already cut at its first NUL) inside {@code root},
     * which must be a real directory path without symbolic links.
     */
    static Resolution resolve(Path root, HostNames names, byte[] path, boolean followLast) {
        if (path.length == 0) return new Resolution.Failed(Errno.ENOENT);
        if (path.length > MAX_PATH) return new Resolution.Failed(Errno.ENAMETOOLONG);
        try {
            return new PathWalk(root, names).walk(path, followLast);
        } catch (FsError e) {
            return new Resolution.Failed(e.errno);
        }
    }

    private Resolution walk(byte[] path, boolean followLast) throws FsError {
        pushFront(path, false);
        boolean dirOnly = path[path.length - 1] == SLASH;
        int links = 0;
        while (!work.isEmpty()) {
            Component c = work.pollFirst();
            boolean last = work.isEmpty();
            if (c.isDot()) continue;
            if (c.isDotDot()) {
                if (!position.isEmpty()) {
                    position.removeLast();
                    hostDirs.removeLast();
                } else if (c.fromLink()) {
                    throw new FsError(Errno.EACCES);
                }
                continue;
            }
            if (c.name().length > MAX_NAME) throw new FsError(Errno.ENAMETOOLONG);
            String name = names.decode(c.name());

            if (atDev()) {
                Device d = Device.byFileName(name);
                if (d != null) {
                    if (!last || dirOnly) throw new FsError(Errno.ENOTDIR);
                    return new Resolution.Dev(d);
                }
            }
            if (position.isEmpty() && name.equals("dev")) {
                Path p = root.resolve(name);
                BasicFileAttributes a = attributesOrNull(p);
                position.add(name);
                hostDirs.add(a != null && a.isDirectory() ? p : null);
                continue;
            }
            Path dir = current();
            if (dir == null) throw new FsError(Errno.ENOENT);
            Path p = dir.resolve(name);
            BasicFileAttributes a = attributesOrNull(p);
            if (a == null) {
                if (last) return new Resolution.Absent(p, dirOnly);
                throw new FsError(Errno.ENOENT);
            }
            if (a.isSymbolicLink()) {
                if (last && !followLast && !dirOnly) return new Resolution.Host(p, Resolution.Kind.SYMLINK);
                if (++links > MAX_LINKS) throw new FsError(Errno.ELOOP);
                byte[] target = readLink(p);
                if (target.length == 0) throw new FsError(Errno.ENOENT);
                if (last && target[target.length - 1] == SLASH) dirOnly = true;
                if (target[0] == SLASH) {
                    position.clear();
                    hostDirs.clear();
                }
                pushFront(target, true);
                continue;
            }
            if (a.isDirectory()) {
                position.add(name);
                hostDirs.add(p);
                continue;
            }
            if (!last || dirOnly) throw new FsError(Errno.ENOTDIR);
            return new Resolution.Host(p, a.isRegularFile() ? Resolution.Kind.REGULAR : Resolution.Kind.OTHER);
        }
        Path dir = current();
        if (dir == null) return new Resolution.DevDir();
        return new Resolution.Host(dir, Resolution.Kind.DIRECTORY);
    }

    /** Whether the walk stands in {@code /dev} (the real one or the virtual one). */
    private boolean atDev() {
        return position.size() == 1 && position.getFirst().equals("dev");
    }

    private Path current() {
        return hostDirs.isEmpty() ? root : hostDirs.getLast();
    }

    /** Splits {@code bytes} at slashes and puts the non-empty components in front of the work list, in order. */
    private void pushFront(byte[] bytes, boolean fromLink) {
        ArrayList<Component> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == SLASH) {
                if (i > start) parts.add(new Component(Arrays.copyOfRange(bytes, start, i), fromLink));
                start = i + 1;
            }
        }
        for (int i = parts.size() - 1; i >= 0; i--) work.addFirst(parts.get(i));
    }

    private static BasicFileAttributes attributesOrNull(Path p) throws FsError {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw HostErrors.error(e);
        }
    }

    private byte[] readLink(Path p) throws FsError {
        try {
            return names.encode(Files.readSymbolicLink(p).toString());
        } catch (IOException e) {
            throw HostErrors.error(e);
        }
    }
}
