// libyaml's parser API, exposed to Swift through the CYAML system-library target.
#include <yaml.h>
