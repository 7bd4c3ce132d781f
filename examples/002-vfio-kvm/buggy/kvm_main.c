// SPDX-License-Identifier: GPL-2.0-only
/*
 * 002-vfio-kvm, buggy: the parts of KVM's core that matter here: VM
 * references, device creation, and device release, which holds kvm->lock
 * around the device's ->release() (kvm_vfio_release() for KVM-VFIO).
 */
/* expect: none */

#include "scenario.h"

static DEFINE_MUTEX(kvm_lock);
static LIST_HEAD(vm_list);

static void kvm_destroy_vm(struct kvm *kvm)
{
	mutex_lock(&kvm_lock);
	list_del(&kvm->vm_list);
	mutex_unlock(&kvm_lock);
	kfree(kvm);
}

void kvm_get_kvm(struct kvm *kvm)
{
	refcount_inc(&kvm->users_count);
}
EXPORT_SYMBOL_GPL(kvm_get_kvm);

bool kvm_get_kvm_safe(struct kvm *kvm)
{
	return refcount_inc_not_zero(&kvm->users_count);
}
EXPORT_SYMBOL_GPL(kvm_get_kvm_safe);

void kvm_put_kvm(struct kvm *kvm)
{
	if (refcount_dec_and_test(&kvm->users_count))
		kvm_destroy_vm(kvm);
}
EXPORT_SYMBOL_GPL(kvm_put_kvm);

static int kvm_device_release(struct inode *inode, struct file *filp)
{
	struct kvm_device *dev = filp->private_data;
	struct kvm *kvm = dev->kvm;

	if (dev->ops->release) {
		mutex_lock(&kvm->lock);
		list_del(&dev->vm_node);
		dev->ops->release(dev);
		mutex_unlock(&kvm->lock);
	}
	kvm_put_kvm(kvm);
	return 0;
}

static long kvm_device_ioctl(struct file *filp, unsigned int ioctl,
			     unsigned long arg)
{
	struct kvm_device *dev = filp->private_data;
	struct kvm_device_attr attr;

	switch (ioctl) {
	case KVM_SET_DEVICE_ATTR:
		if (copy_from_user(&attr, (void __user *)arg, sizeof(attr)))
			return -EFAULT;
		if (!dev->ops->set_attr)
			return -EPERM;
		return dev->ops->set_attr(dev, &attr);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations kvm_device_fops = {
	.unlocked_ioctl	= kvm_device_ioctl,
	.release	= kvm_device_release,
};

int kvm_create_device(struct kvm *kvm, const struct kvm_device_ops *ops,
		      u32 type)
{
	struct kvm_device *dev;
	int ret;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return -ENOMEM;
	dev->ops = ops;
	dev->kvm = kvm;

	mutex_lock(&kvm->lock);
	ret = ops->create(dev, type);
	if (ret < 0) {
		mutex_unlock(&kvm->lock);
		kfree(dev);
		return ret;
	}
	list_add_rcu(&dev->vm_node, &kvm->devices);
	mutex_unlock(&kvm->lock);

	kvm_get_kvm(kvm);
	return anon_inode_getfd(ops->name, &kvm_device_fops, dev,
				O_RDWR | O_CLOEXEC);
}
