// One lazy Adam step on the rows of a table that a sparse gradient names, in one kernel.
//
// TensorFlow's own path for a sparse Adam step is a chain of small kernels: Unique and
// UnsortedSegmentSum to add up the gradients of repeated ids, then a gather of the moment
// rows, the moment arithmetic, and two scatters back into the slot and the table. Each of
// them walks the touched rows again. This kernel adds up repeated ids with a small
// open-addressing table row -> slot, sized to the batch (so it stays in cache however
// large the table is; no sorting), and then, for every distinct row, updates its first
// and second moments and the row itself in one pass, fetching the rows a few ahead.
//
// Layout: the optimiser keeps both moments of a row side by side in one slot `mv` with twice
// the row width, `mv[r] = [m[r], v[r]]`, so one row of the table and one row of the slot are
// all the memory an update touches.
//
// Adam (Kingma & Ba, 2015), lazy form: rows absent from the batch keep their moments.
//   m <- beta1 * m + (1 - beta1) * g
//   v <- beta2 * v + (1 - beta2) * g^2
//   w <- w - step * m / (sqrt(v) + epsilon),  step = lr * sqrt(1 - beta2^t) / (1 - beta1^t)

#define EIGEN_USE_THREADS

#include <sys/mman.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/resource_var.h"
#include "tensorflow/core/framework/shape_inference.h"
#include "tensorflow/core/kernels/training_op_helpers.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

namespace openrec2 {

using tensorflow::OpKernel;
using tensorflow::OpKernelConstruction;
using tensorflow::OpKernelContext;
using tensorflow::Tensor;
using tensorflow::TensorShapeUtils;
using CPUDevice = Eigen::ThreadPoolDevice;

REGISTER_OP("Openrec2SparseLazyAdam")
    .Input("var: resource")
    .Input("mv: resource")
    .Input("indices: Tindices")
    .Input("grad: T")
    .Input("step: T")
    .Input("beta1: T")
    .Input("beta2: T")
    .Input("epsilon: T")
    .Attr("T: {float, double}")
    .Attr("Tindices: {int32, int64}")
    .SetShapeFn(tensorflow::shape_inference::NoOutputs)
    .Doc(R"doc(
Lazy Adam step on the rows of `var` named by `indices`; repeated indices are summed first.

var: A resource variable, the table; its first dimension counts rows.
mv: A resource variable with the same rows and twice the row width: [m, v] per row.
indices: The row of each gradient row; repeats allowed.
grad: Gradient rows, one per index.
step: Bias-corrected step size lr * sqrt(1 - beta2^t) / (1 - beta1^t).
beta1: Decay of the first moment.
beta2: Decay of the second moment.
epsilon: Added to sqrt(v) in the denominator.
)doc");

// Tables at least this large are asked to live on transparent huge pages: at a million rows
// every touched row is a TLB miss otherwise.
constexpr int64_t kHugePageMinBytes = int64_t{64} << 20;
constexpr uintptr_t kHugePageBytes = uintptr_t{2} << 20;
// How many distinct rows ahead the update prefetches, and the bytes of a cache line.
constexpr int64_t kPrefetchAhead = 8;
constexpr int64_t kCacheLineBytes = 64;

// Asks the kernel to back [data, data + bytes) with huge pages, now and from here on.
// Advisory only: where transparent huge pages are off, nothing changes.
void AdviseHugePages(const void* data, int64_t bytes) {
  const uintptr_t begin = (reinterpret_cast<uintptr_t>(data) + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const uintptr_t end = (reinterpret_cast<uintptr_t>(data) + bytes) & ~(kHugePageBytes - 1);
  if (end <= begin) return;
  void* start = reinterpret_cast<void*>(begin);
  if (madvise(start, end - begin, MADV_HUGEPAGE) == 0) {
    madvise(start, end - begin, MADV_COLLAPSE);  // existing pages too; fails harmlessly before Linux 6.1
  }
}

template <typename T, typename Index>
class SparseLazyAdamOp : public OpKernel {
 public:
  explicit SparseLazyAdamOp(OpKernelConstruction* ctx) : OpKernel(ctx) {}

  void Compute(OpKernelContext* ctx) override {
    // Exclusive locks on both variables, taken in address order; switches them to the
    // copy-on-read mode that sparse updates need.
    auto locks = tensorflow::MaybeLockVariableInputMutexesInOrder<CPUDevice, T>(
        ctx, /*do_lock=*/true, /*sparse=*/true, {0, 1});
    Tensor var, mv;
    OP_REQUIRES_OK(ctx, tensorflow::GetInputTensorFromVariable<CPUDevice, T>(ctx, 0, true, true, &var));
    OP_REQUIRES_OK(ctx, tensorflow::GetInputTensorFromVariable<CPUDevice, T>(ctx, 1, true, true, &mv));
    OP_REQUIRES(ctx, var.IsInitialized() && mv.IsInitialized(),
                tensorflow::errors::FailedPrecondition("the table or its mv slot is not initialized"));
    const Tensor& indices = ctx->input(2);
    const Tensor& grad = ctx->input(3);
    OP_REQUIRES(ctx, var.dims() >= 1, tensorflow::errors::InvalidArgument("the table must have rows; got a scalar"));
    OP_REQUIRES(ctx, TensorShapeUtils::IsVector(indices.shape()),
                tensorflow::errors::InvalidArgument("indices must be a vector, got ", indices.shape().DebugString()));
    const int64_t rows = var.dim_size(0);
    const int64_t n = indices.dim_size(0);
    const int64_t width = rows > 0 ? var.NumElements() / rows : 0;
    OP_REQUIRES(ctx, mv.dims() >= 1 && mv.dim_size(0) == rows && mv.NumElements() == 2 * var.NumElements(),
                tensorflow::errors::InvalidArgument("mv must have the table's rows and twice its row width; table ",
                                                    var.shape().DebugString(), ", mv ", mv.shape().DebugString()));
    OP_REQUIRES(ctx, grad.dims() >= 1 && grad.dim_size(0) == n && grad.NumElements() == n * width,
                tensorflow::errors::InvalidArgument("grad must hold one table row per index; table ",
                                                    var.shape().DebugString(), ", grad ", grad.shape().DebugString(),
                                                    ", ", n, " indices"));
    for (int i = 4; i < 8; ++i) {
      OP_REQUIRES(ctx, TensorShapeUtils::IsScalar(ctx->input(i).shape()),
                  tensorflow::errors::InvalidArgument("input ", i, " (step/beta1/beta2/epsilon) must be a scalar"));
    }
    OP_REQUIRES(ctx, n < INT32_MAX, tensorflow::errors::InvalidArgument("too many indices in one step: ", n));
    if (n == 0) return;

    T* table = var.flat<T>().data();
    T* moments = mv.flat<T>().data();
    // The kernel's own state (scratch arrays, advised buffers) is shared by concurrent runs.
    tensorflow::mutex_lock state_lock(state_mu_);
    AdviseOnce(table, var.TotalBytes(), &advised_table_);
    AdviseOnce(moments, mv.TotalBytes(), &advised_moments_);
    OP_REQUIRES_OK(ctx, SumRepeatedRows(indices.vec<Index>().data(), grad.flat<T>().data(), n, rows, width));

    const T step = ctx->input(4).scalar<T>()();
    const T beta1 = ctx->input(5).scalar<T>()();
    const T beta2 = ctx->input(6).scalar<T>()();
    const T epsilon = ctx->input(7).scalar<T>()();
    const int64_t* distinct_rows = distinct_rows_.data();
    const T* sums = sums_.data();
    auto update_rows = [=](int64_t first, int64_t last) {
      for (int64_t s = first; s < last; ++s) {
        if (s + kPrefetchAhead < last) {  // rows of a large table are cache misses: ask for them early
          const int64_t ahead = distinct_rows[s + kPrefetchAhead];
          for (int64_t j = 0; j < width; j += kCacheLineBytes / static_cast<int64_t>(sizeof(T))) {
            __builtin_prefetch(table + ahead * width + j, 1);
            __builtin_prefetch(moments + ahead * 2 * width + j, 1);
            __builtin_prefetch(moments + ahead * 2 * width + width + j, 1);
          }
        }
        const int64_t r = distinct_rows[s];
        const T* g = sums + s * width;
        T* w = table + r * width;
        T* m = moments + r * 2 * width;
        T* v = m + width;
        for (int64_t j = 0; j < width; ++j) {
          const T mj = beta1 * m[j] + (T(1) - beta1) * g[j];
          const T vj = beta2 * v[j] + (T(1) - beta2) * g[j] * g[j];
          m[j] = mj;
          v[j] = vj;
          w[j] -= step * mj / (std::sqrt(vj) + epsilon);
        }
      }
    };
    const int64_t distinct = static_cast<int64_t>(distinct_rows_.size());
    // About 12 flops and 5 memory accesses per entry.
    ctx->device()->tensorflow_cpu_worker_threads()->workers->ParallelFor(distinct, 20 * width, update_rows);
  }

 private:
  // Fills distinct_rows_ with the distinct indices in order of first appearance and sums_
  // with the summed gradient of each. Fails, with nothing changed, on an index out of range.
  tensorflow::Status SumRepeatedRows(const Index* indices, const T* grad, int64_t n, int64_t rows, int64_t width) {
    // Open addressing with linear probing, at most half full; reset for every call (a
    // sequential write of a few times n entries).
    int64_t capacity = 16;
    while (capacity < 2 * n) capacity <<= 1;
    const uint64_t mask = static_cast<uint64_t>(capacity - 1);
    hashed_rows_.assign(capacity, -1);
    hashed_slots_.resize(capacity);
    distinct_rows_.clear();
    sums_.resize(n * width);
    for (int64_t i = 0; i < n; ++i) {
      const int64_t r = static_cast<int64_t>(indices[i]);
      if (r < 0 || r >= rows) {
        return tensorflow::errors::InvalidArgument("index ", r, " at position ", i, " is outside the table's ",
                                                   rows, " rows");
      }
      const T* g = grad + i * width;
      // Fibonacci hashing: the multiply spreads nearby row ids over the whole table.
      uint64_t probe = ((static_cast<uint64_t>(r) * 0x9E3779B97F4A7C15ull) >> 17) & mask;
      while (hashed_rows_[probe] != -1 && hashed_rows_[probe] != r) probe = (probe + 1) & mask;
      if (hashed_rows_[probe] == -1) {
        hashed_rows_[probe] = r;
        hashed_slots_[probe] = static_cast<int32_t>(distinct_rows_.size());
        T* sum = sums_.data() + distinct_rows_.size() * width;
        distinct_rows_.push_back(r);
        for (int64_t j = 0; j < width; ++j) sum[j] = g[j];
      } else {
        T* sum = sums_.data() + static_cast<int64_t>(hashed_slots_[probe]) * width;
        for (int64_t j = 0; j < width; ++j) sum[j] += g[j];
      }
    }
    return tensorflow::Status();
  }

  // Advises huge pages for a large buffer the first time it is seen (the variable's buffer
  // changes only when it is reassigned, e.g. by restoring a checkpoint). Needs state_mu_.
  void AdviseOnce(const void* data, int64_t bytes, const void** advised) {
    if (bytes < kHugePageMinBytes || *advised == data) return;
    AdviseHugePages(data, bytes);
    *advised = data;
  }

  tensorflow::mutex state_mu_;
  std::vector<int64_t> hashed_rows_;    // open-addressing keys: a row, or -1 for an empty entry
  std::vector<int32_t> hashed_slots_;   // position of that row in distinct_rows_
  std::vector<int64_t> distinct_rows_;  // rows of the current call, first appearance first
  std::vector<T> sums_;                 // summed gradient of each distinct row
  const void* advised_table_ = nullptr;
  const void* advised_moments_ = nullptr;
};

#define OPENREC2_REGISTER_KERNEL(T, Index)                              \
  REGISTER_KERNEL_BUILDER(Name("Openrec2SparseLazyAdam")                \
                              .Device(tensorflow::DEVICE_CPU)           \
                              .TypeConstraint<T>("T")                   \
                              .TypeConstraint<Index>("Tindices"),       \
                          SparseLazyAdamOp<T, Index>);

OPENREC2_REGISTER_KERNEL(float, int32_t)
OPENREC2_REGISTER_KERNEL(float, int64_t)
OPENREC2_REGISTER_KERNEL(double, int32_t)
OPENREC2_REGISTER_KERNEL(double, int64_t)

#undef OPENREC2_REGISTER_KERNEL

}  // namespace openrec2
