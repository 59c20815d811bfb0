// Boost.URL's compiled part, built once here (Debian ships Boost.URL headers only).
#include <boost/url/src.hpp>
