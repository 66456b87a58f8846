package ring0.kernel.fs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

/**
 * {@link VfsEscapeTest} on the path the kernel takes on a host without
 * {@code openat2}: the walk, then opens by path. Every hostile expectation is
 * the same.
 */
class VfsEscapeWalkTest extends VfsEscapeTest {
    @Override
    Vfs newVfs(Path root, PageCache cache) throws IOException {
        Vfs v = new Vfs(root, cache, false);
        assertThat(v.usesOpenat2()).isFalse();
        return v;
    }
}
