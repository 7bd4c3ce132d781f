// SPDX-License-Identifier: GPL-2.0+
/*
 * 002-vfio-kvm, buggy: a vfio-ap-like mediated device driver. Its
 * ->open_device() needs the KVM the group was bound to, and installs the
 * guest's crypto configuration under kvm->lock, then the driver's own
 * mdevs_lock (which is never held while kvm->lock is taken).
 */
/* expect: lock-inversion kvm.lock vfio_group.group_lock */

#include "scenario.h"

struct ap_matrix_dev {
	struct device device;
	struct mutex mdevs_lock;
	struct list_head mdev_list;
};

struct ap_matrix_mdev {
	struct vfio_device vdev;
	struct list_head node;		/* on matrix_dev->mdev_list */
	struct kvm *kvm;
	unsigned long apm[4];
};

struct ap_matrix_dev *matrix_dev;

static int vfio_ap_mdev_set_kvm(struct ap_matrix_mdev *matrix_mdev,
				struct kvm *kvm)
{
	struct ap_matrix_mdev *m;
	int ret = 0;

	mutex_lock(&kvm->lock);
	mutex_lock(&matrix_dev->mdevs_lock);
	list_for_each_entry(m, &matrix_dev->mdev_list, node) {
		if (m != matrix_mdev && m->kvm == kvm) {
			ret = -EPERM;
			goto out_unlock;
		}
	}
	kvm_get_kvm(kvm);
	matrix_mdev->kvm = kvm;
	kvm_arch_crypto_set_masks(kvm, matrix_mdev->apm);
out_unlock:
	mutex_unlock(&matrix_dev->mdevs_lock);
	mutex_unlock(&kvm->lock);
	return ret;
}

static void vfio_ap_mdev_unset_kvm(struct ap_matrix_mdev *matrix_mdev)
{
	struct kvm *kvm = matrix_mdev->kvm;

	if (!kvm)
		return;

	mutex_lock(&kvm->lock);
	mutex_lock(&matrix_dev->mdevs_lock);
	kvm_arch_crypto_clear_masks(kvm);
	matrix_mdev->kvm = NULL;
	mutex_unlock(&matrix_dev->mdevs_lock);
	mutex_unlock(&kvm->lock);

	kvm_put_kvm(kvm);
}

static int vfio_ap_mdev_open_device(struct vfio_device *vdev)
{
	struct ap_matrix_mdev *matrix_mdev =
		container_of(vdev, struct ap_matrix_mdev, vdev);

	if (!vdev->kvm)
		return -EINVAL;
	return vfio_ap_mdev_set_kvm(matrix_mdev, vdev->kvm);
}

static void vfio_ap_mdev_close_device(struct vfio_device *vdev)
{
	vfio_ap_mdev_unset_kvm(container_of(vdev, struct ap_matrix_mdev, vdev));
}

static const struct vfio_device_ops vfio_ap_matrix_dev_ops = {
	.name		= "vfio-ap-mdev",
	.open_device	= vfio_ap_mdev_open_device,
	.close_device	= vfio_ap_mdev_close_device,
};

int vfio_ap_mdev_probe(struct device *dev, struct vfio_group *group)
{
	struct ap_matrix_mdev *matrix_mdev;
	int ret;

	matrix_mdev = kzalloc(sizeof(*matrix_mdev), GFP_KERNEL);
	if (!matrix_mdev)
		return -ENOMEM;
	matrix_mdev->vdev.dev = dev;
	matrix_mdev->vdev.ops = &vfio_ap_matrix_dev_ops;
	matrix_mdev->vdev.group = group;

	mutex_lock(&matrix_dev->mdevs_lock);
	list_add(&matrix_mdev->node, &matrix_dev->mdev_list);
	mutex_unlock(&matrix_dev->mdevs_lock);

	ret = vfio_register_group_dev(&matrix_mdev->vdev);
	if (ret) {
		mutex_lock(&matrix_dev->mdevs_lock);
		list_del(&matrix_mdev->node);
		mutex_unlock(&matrix_dev->mdevs_lock);
		kfree(matrix_mdev);
	}
	return ret;
}
