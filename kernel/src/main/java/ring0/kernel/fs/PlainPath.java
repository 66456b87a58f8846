package ring0.kernel.fs;

import java.util.Arrays;

/**
 * TRUSTED. Decides which program paths the host may resolve by itself in one
 * {@code openat2} call ({@link HostRoot}) with the same outcome as
 * {@link PathWalk}: those the walk would treat exactly as Linux treats them
 * in a chroot. A path is plain when
 * <ul>
 *   <li>it is 1 to {@link PathWalk#MAX_PATH} bytes (already cut at its NUL)
 *       and does not end in {@code /};
 *   <li>every component is at most {@link PathWalk#MAX_NAME} bytes and a name
 *       the host can spell ({@link HostNames}: otherwise {@code EILSEQ}, and
 *       the walk knows at which component that happens);
 *   <li>no component is {@code dev} (the kernel's own {@code /dev} is
 *       resolved by the walk);
 *   <li>the last component is a name, not {@code .} or {@code ..}.
 * </ul>
 * Symbolic links are the other difference (the walk expands them itself,
 * with its own rules); they are not visible in the bytes, so the host call
 * refuses them ({@code RESOLVE_NO_SYMLINKS}) and the caller falls back to the
 * walk on {@code ELOOP}.
 */
final class PlainPath {
    private PlainPath() {}

    private static final byte SLASH = '/';

    /** Whether {@code path} (no NUL inside) is plain. */
    static boolean test(byte[] path, HostNames names) {
        int n = path.length;
        if (n == 0 || n > PathWalk.MAX_PATH || path[n - 1] == SLASH) return false;
        int start = 0;
        boolean lastIsName = false;
        for (int i = 0; i <= n; i++) {
            if (i < n && path[i] != SLASH) continue;
            int len = i - start;
            if (len > 0) {
                if (len > PathWalk.MAX_NAME) return false;
                boolean dot = path[start] == '.' && (len == 1 || len == 2 && path[start + 1] == '.');
                boolean dev = len == 3 && path[start] == 'd' && path[start + 1] == 'e' && path[start + 2] == 'v';
                if (dev) return false;
                if (!dot && !spellable(path, start, len, names)) return false;
                lastIsName = !dot;
            }
            start = i + 1;
        }
        return lastIsName;
    }

    private static boolean spellable(byte[] path, int start, int len, HostNames names) {
        boolean ascii = true;
        for (int i = start; i < start + len; i++) ascii &= path[i] >= 0;
        if (ascii && names.asciiIsExact()) return true;
        try {
            names.decode(Arrays.copyOfRange(path, start, start + len));
            return true;
        } catch (FsError e) {
            return false;
        }
    }
}
