/// C the tests write into scratch directories beside a copy of `include/xv6.h`: one leak
/// at an error exit, shared by the driver's and the CLI's tests.
public enum SampleSources {
    /// `copy_in` returns -1 at line 7 with `mem` still held.
    public static let leak = """
        #include "include/xv6.h"
        int copy_in(char *src) {
          char *mem;
          if((mem = kalloc()) == 0)
            return -1;
          if(src == 0)
            return -1;
          kfree(mem);
          return 0;
        }

        """
}
