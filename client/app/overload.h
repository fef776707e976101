// One visitor for std::visit out of several lambdas: std::visit(Overload{[](A&) {...}, [](B&) {...}}, v).
#pragma once

namespace liaison::app {

template <class... F>
struct Overload : F... {
    using F::operator()...;
};
template <class... F>
Overload(F...) -> Overload<F...>;

}  // namespace liaison::app
